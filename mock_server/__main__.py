"""`python -m mock_server` is `ens-mock-server`."""

from mock_server.cli import main

main()
