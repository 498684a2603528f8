"""English messages: scenario (reading files, names, `ens-consent scenario check`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- where ---
    "scenario.problem.at_line": "{path}, line {line}",
    "scenario.problem.where": "{place}: {where}: {message}",
    "scenario.problem.plain": "{place}: {message}",
    # --- the file ---
    "scenario.error.file_missing": "file not found",
    "scenario.error.file_directory": "this is a folder, not a scenario file",
    "scenario.error.file_encoding": "the file is not UTF-8 encoded",
    "scenario.error.file_unreadable": "cannot read it ({reason})",
    "scenario.error.yaml": "invalid YAML ({reason})",
    "scenario.error.empty": "the file is empty; a scenario starts with \"format: 1\"",
    "scenario.error.not_mapping": "the file must be a mapping (key: value) starting with "
                                  "\"format: 1\"",
    "scenario.error.key": "invalid key \"{key}\": a key is a word",
    "scenario.error.key_twice": "the key \"{key}\" appears twice",
    # --- fields ---
    "scenario.error.extra_forbidden": "unknown field \"{name}\"{hint}; fields: {choices}",
    "scenario.error.did_you_mean": " (did you mean \"{name}\"?)",
    "scenario.error.missing": "required field \"{name}\" is missing",
    "scenario.error.format": "unknown format \"{value}\": this program reads format {version}",
    "scenario.error.literal_error": "unknown value \"{value}\"; possible values: {choices}",
    "scenario.error.other": "{message}",
    "scenario.error.string_type": "must be text",
    "scenario.error.string_too_short": "must not be empty",
    "scenario.error.string_too_long": "too long: at most {max_length} characters",
    "scenario.error.string_pattern_mismatch": "an identifier has no spaces",
    "scenario.error.float_type": "must be a number",
    "scenario.error.float_parsing": "must be a number",
    "scenario.error.finite_number": "must be a number",
    "scenario.error.int_type": "must be a whole number",
    "scenario.error.int_parsing": "must be a whole number",
    "scenario.error.int_from_float": "must be a whole number",
    "scenario.error.bool_type": "must be true or false",
    "scenario.error.bool_parsing": "must be true or false",
    "scenario.error.greater_than": "must be greater than {gt}",
    "scenario.error.greater_than_equal": "must be at least {ge}",
    "scenario.error.less_than": "must be less than {lt}",
    "scenario.error.less_than_equal": "must be at most {le}",
    "scenario.error.list_type": "must be a list",
    "scenario.error.tuple_type": "must be a list",
    "scenario.error.too_short": "the list needs at least {min_length} item(s)",
    "scenario.error.too_long": "the list takes at most {max_length} items",
    "scenario.error.dict_type": "must be a mapping (key: value)",
    "scenario.error.model_type": "must be a mapping (key: value)",
    "scenario.error.model_attributes_type": "must be a mapping (key: value)",
    # --- format values ---
    "scenario.error.permission_type": "a permission is written class/subtype/access, e.g. "
                                      "measures/body_weight/read",
    "scenario.error.permission_shape": "badly written permission \"{text}\": expected "
                                       "class/subtype/access, e.g. measures/body_weight/read",
    "scenario.error.permission_class": "permission \"{text}\": unknown class \"{data_class}\"; "
                                       "classes: {choices}",
    "scenario.error.permission_subtype": "permission \"{text}\": unknown subtype \"{subtype}\" "
                                         "for {data_class}; subtypes: {choices}, *",
    "scenario.error.permission_access": "permission \"{text}\": access is read or write",
    "scenario.error.data_filter": "unknown data \"{text}\": write \"class\" or "
                                  "\"class/subtype\", e.g. measures or measures/body_weight",
    "scenario.error.jump": "\"{value}\" is not a duration; write e.g. 7d, 12h, 20m, 1w or P7D",
    "scenario.error.jump_too_long": "\"{value}\": the clock moves at most 31 days at once",
    "scenario.error.action_shape": "\"do\" is a mapping whose key names the action, e.g. "
                                   "{{open: store}}; actions: {choices}",
    "scenario.error.action_unknown": "unknown action \"{name}\"{hint}; actions: {choices}",
    "scenario.error.action_several": "one action per step, not {names}",
    "scenario.error.expectation_shape": "each expectation is a one-key mapping, e.g. "
                                        "{{text: Pesée Claire}}; expectations: {choices}",
    "scenario.error.expectation_unknown": "unknown expectation \"{name}\"{hint}; "
                                          "expectations: {choices}",
    "scenario.error.expectation_mapping": "\"{kind}\" holds a mapping, e.g. "
                                          "{{{kind}: {{service: pesee-claire}}}}",
    "scenario.error.grant_empty": "say what must hold: status, allows, denies or duration",
    "scenario.error.grant_none": "status none: no grant, so nothing to allow, deny or date",
    "scenario.error.grant_both": "{permissions} both in allows and in denies",
    "scenario.error.clock": "the clock is paused, running or {speed: 60}",
    "scenario.error.maille": "unknown maille \"{value}\": categorie, type or ressource, or a "
                             "list of them (each once)",
    "scenario.error.service_twice": "{services} connected twice at the start",
    # --- names, on a platform ---
    "scenario.names.unknown_service": "service \"{service}\" unknown to the platform; "
                                      "services: {choices}",
    "scenario.names.closest": "{names}… and {others} others",
    "scenario.names.unknown_account": "account \"{account}\" unknown to the platform; "
                                      "accounts: {choices}",
    "scenario.names.not_represented": "account \"{account}\" does not represent \"{who}\"; "
                                      "it represents: {choices}",
    "scenario.names.represents_nobody": "account \"{account}\" represents nobody: no "
                                        "\"{who}\" space",
    "scenario.names.not_asked": "{service} does not ask for \"{permission}\"; it asks for: "
                                "{choices}",
    "scenario.names.whole_class_nothing": "\"{permission}\": {service} asks for nothing in "
                                          "{data_class} with {access} access; it asks for: "
                                          "{choices}",
    # --- ens-consent scenario ---
    "scenario.cli.help": "Scenarios: check files, print their JSON Schema.",
    "scenario.cli.check.help": "Checks scenario files: their structure, then the services, "
                               "accounts and permissions they name on a platform (by default "
                               "an embedded server, fresh database). Exit code 0 only if all "
                               "are valid.",
    "scenario.cli.option.server": "Platform to ask for names (else an embedded server).",
    "scenario.cli.option.facilitator_token": "Facilitator token of that platform, to check "
                                             "accounts (or ENS_FACILITATOR_TOKEN).",
    "scenario.cli.option.offline": "Check the structure only, without a platform.",
    "scenario.cli.schema.help": "Prints the JSON Schema of the format (for an editor).",
    "scenario.cli.option.output": "Write the schema to this file.",
    "scenario.cli.schema.written": "Schema written to {path}.",
    "scenario.cli.valid": "✓ valid: {path} — {title} ({details})",
    "scenario.cli.steps": "{count} steps",
    "scenario.cli.variants": "{count} variants",
    "scenario.cli.invalid": "✗ invalid: {path} ({count} problem(s)):",
    "scenario.cli.summary": "{valid} valid file(s), {invalid} invalid.",
    "scenario.cli.accounts_unchecked": "Accounts not checked: give --facilitator-token (or "
                                       "ENS_FACILITATOR_TOKEN) to check them.",
    "scenario.cli.error.offline_server": "--offline and --server exclude each other: "
                                         "--offline asks no platform.",
    "scenario.cli.error.token": "the platform refuses the facilitator token: check "
                                "--facilitator-token (or ENS_FACILITATOR_TOKEN).",
    "scenario.cli.error.platform": "cannot check the names: {title}. {message}",
    "scenario.cli.error.write": "cannot write {path} ({reason}).",
}
