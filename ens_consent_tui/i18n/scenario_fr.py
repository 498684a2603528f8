"""Messages en français: scenario (lecture des fichiers, noms, `ens-consent scenario check`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- où ---
    "scenario.problem.at_line": "{path}, ligne {line}",
    "scenario.problem.where": "{place} : {where} : {message}",
    "scenario.problem.plain": "{place} : {message}",
    # --- le fichier ---
    "scenario.error.file_missing": "fichier introuvable",
    "scenario.error.file_directory": "c'est un dossier, pas un fichier de scénario",
    "scenario.error.file_encoding": "le fichier n'est pas encodé en UTF-8",
    "scenario.error.file_unreadable": "lecture impossible ({reason})",
    "scenario.error.yaml": "YAML invalide ({reason})",
    "scenario.error.empty": "le fichier est vide ; un scénario commence par « format: 1 »",
    "scenario.error.not_mapping": "le fichier doit être un dictionnaire (clé : valeur) qui "
                                  "commence par « format: 1 »",
    "scenario.error.key": "clé « {key} » invalide : une clé est un mot",
    "scenario.error.key_twice": "la clé « {key} » figure deux fois",
    # --- les champs ---
    "scenario.error.extra_forbidden": "champ inconnu « {name} »{hint} ; champs possibles : "
                                      "{choices}",
    "scenario.error.did_you_mean": " (vouliez-vous dire « {name} » ?)",
    "scenario.error.missing": "champ obligatoire « {name} » absent",
    "scenario.error.format": "format « {value} » inconnu : ce programme lit le format {version}",
    "scenario.error.literal_error": "valeur « {value} » inconnue ; valeurs possibles : "
                                    "{choices}",
    "scenario.error.other": "{message}",
    "scenario.error.string_type": "doit être du texte",
    "scenario.error.string_too_short": "ne doit pas être vide",
    "scenario.error.string_too_long": "trop long : {max_length} caractères au plus",
    "scenario.error.string_pattern_mismatch": "un identifiant s'écrit sans espace",
    "scenario.error.float_type": "doit être un nombre",
    "scenario.error.float_parsing": "doit être un nombre",
    "scenario.error.finite_number": "doit être un nombre",
    "scenario.error.int_type": "doit être un nombre entier",
    "scenario.error.int_parsing": "doit être un nombre entier",
    "scenario.error.int_from_float": "doit être un nombre entier",
    "scenario.error.bool_type": "doit valoir true ou false",
    "scenario.error.bool_parsing": "doit valoir true ou false",
    "scenario.error.greater_than": "doit être plus grand que {gt}",
    "scenario.error.greater_than_equal": "doit être au moins {ge}",
    "scenario.error.less_than": "doit être plus petit que {lt}",
    "scenario.error.less_than_equal": "doit être au plus {le}",
    "scenario.error.list_type": "doit être une liste",
    "scenario.error.tuple_type": "doit être une liste",
    "scenario.error.too_short": "la liste doit avoir au moins {min_length} élément(s)",
    "scenario.error.too_long": "la liste doit avoir au plus {max_length} éléments",
    "scenario.error.dict_type": "doit être un dictionnaire (clé : valeur)",
    "scenario.error.model_type": "doit être un dictionnaire (clé : valeur)",
    "scenario.error.model_attributes_type": "doit être un dictionnaire (clé : valeur)",
    # --- les valeurs du format ---
    "scenario.error.permission_type": "une permission s'écrit classe/sous-type/accès, par "
                                      "exemple measures/body_weight/read",
    "scenario.error.permission_shape": "permission « {text} » mal écrite : attendu "
                                       "classe/sous-type/accès, par exemple "
                                       "measures/body_weight/read",
    "scenario.error.permission_class": "permission « {text} » : classe « {data_class} » "
                                       "inconnue ; classes : {choices}",
    "scenario.error.permission_subtype": "permission « {text} » : sous-type « {subtype} » "
                                         "inconnu pour {data_class} ; sous-types : {choices}, *",
    "scenario.error.permission_access": "permission « {text} » : l'accès est read ou write",
    "scenario.error.data_filter": "données « {text} » inconnues : écrivez « classe » ou "
                                  "« classe/sous-type », par exemple measures ou "
                                  "measures/body_weight",
    "scenario.error.jump": "« {value} » n'est pas une durée ; écrivez par exemple 7d, 12h, 20m, "
                           "1w ou P7D",
    "scenario.error.jump_too_long": "« {value} » : l'horloge avance de 31 jours au plus d'un "
                                    "coup",
    "scenario.error.action_shape": "« do » est un dictionnaire dont la clé nomme l'action, par "
                                   "exemple {{open: store}} ; actions : {choices}",
    "scenario.error.action_unknown": "action « {name} » inconnue{hint} ; actions : {choices}",
    "scenario.error.action_several": "une seule action par étape, pas {names}",
    "scenario.error.expectation_shape": "chaque vérification est un dictionnaire à une clé, "
                                        "par exemple {{text: Pesée Claire}} ; vérifications : "
                                        "{choices}",
    "scenario.error.expectation_unknown": "vérification « {name} » inconnue{hint} ; "
                                          "vérifications : {choices}",
    "scenario.error.expectation_mapping": "« {kind} » contient un dictionnaire, par exemple "
                                          "{{{kind}: {{service: pesee-claire}}}}",
    "scenario.error.grant_empty": "dites ce qui doit être vrai : status, allows, denies ou "
                                  "duration",
    "scenario.error.grant_none": "status none : aucune autorisation, donc rien à permettre, "
                                 "refuser ou dater",
    "scenario.error.grant_both": "{permissions} à la fois dans allows et dans denies",
    "scenario.error.clock": "l'horloge est paused, running ou {speed: 60}",
    "scenario.error.maille": "maille « {value} » inconnue : categorie, type ou ressource, ou "
                             "une liste de ces valeurs (chacune une fois)",
    "scenario.error.service_twice": "{services} connecté(s) deux fois au départ",
    # --- les noms, sur une plateforme ---
    "scenario.names.unknown_service": "service « {service} » inconnu de la plateforme ; "
                                      "services : {choices}",
    "scenario.names.closest": "{names}… et {others} autres",
    "scenario.names.unknown_account": "compte « {account} » inconnu de la plateforme ; "
                                      "comptes : {choices}",
    "scenario.names.not_represented": "le compte « {account} » ne représente pas « {who} » ; "
                                      "il représente : {choices}",
    "scenario.names.represents_nobody": "le compte « {account} » ne représente personne : "
                                        "pas d'espace « {who} »",
    "scenario.names.not_asked": "{service} ne demande pas « {permission} » ; il demande : "
                                "{choices}",
    "scenario.names.whole_class_nothing": "« {permission} » : {service} ne demande rien en "
                                          "{data_class} avec l'accès {access} ; il demande : "
                                          "{choices}",
    # --- ens-consent scenario ---
    "scenario.cli.help": "Scénarios : vérifier des fichiers, afficher leur schéma JSON.",
    "scenario.cli.check.help": "Vérifie des fichiers de scénario : leur structure, puis les "
                               "services, comptes et permissions qu'ils nomment sur une "
                               "plateforme (par défaut un serveur intégré, base neuve). Code de "
                               "sortie 0 seulement si tous sont valides.",
    "scenario.cli.option.server": "Plateforme à interroger pour les noms (sinon un serveur "
                                  "intégré).",
    "scenario.cli.option.facilitator_token": "Jeton animateur de cette plateforme, pour "
                                             "vérifier les comptes (ou ENS_FACILITATOR_TOKEN).",
    "scenario.cli.option.offline": "Vérifier la structure seulement, sans plateforme.",
    "scenario.cli.schema.help": "Affiche le schéma JSON du format (pour un éditeur).",
    "scenario.cli.option.output": "Écrire le schéma dans ce fichier.",
    "scenario.cli.schema.written": "Schéma écrit dans {path}.",
    "scenario.cli.valid": "✓ valide : {path} — {title} ({details})",
    "scenario.cli.steps": "{count} étapes",
    "scenario.cli.variants": "{count} variantes",
    "scenario.cli.invalid": "✗ invalide : {path} ({count} problème(s)) :",
    "scenario.cli.summary": "{valid} fichier(s) valide(s), {invalid} invalide(s).",
    "scenario.cli.accounts_unchecked": "Comptes non vérifiés : donnez --facilitator-token "
                                       "(ou ENS_FACILITATOR_TOKEN) pour les vérifier.",
    "scenario.cli.error.offline_server": "--offline et --server s'excluent : --offline ne "
                                         "consulte aucune plateforme.",
    "scenario.cli.error.token": "le jeton animateur est refusé par la plateforme : vérifiez "
                                "--facilitator-token (ou ENS_FACILITATOR_TOKEN).",
    "scenario.cli.error.platform": "impossible de vérifier les noms : {title}. {message}",
    "scenario.cli.error.write": "impossible d'écrire {path} ({reason}).",
}
