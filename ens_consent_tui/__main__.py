"""`python -m ens_consent_tui`: the same as `ens-consent`."""

from ens_consent_tui.cli import main

main()
