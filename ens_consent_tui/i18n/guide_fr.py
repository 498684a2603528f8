"""Messages en français: guide."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- the app's options ---
    "cli.option.scenario": "Guider un scénario (fichier YAML) : un panneau montre chaque étape, "
                           "ses notes et une vérification en direct.",
    "cli.option.facilitator_token": "Jeton animateur de la console du serveur : l'application "
                                    "prépare alors le départ du scénario et exécute les actions "
                                    "de l'animateur (serveur partagé ; le serveur intégré donne "
                                    "le sien à l'application).",
    # --- keys ---
    "key.guide_next": "Étape suivante",
    "key.guide_previous": "Étape précédente",
    "key.guide_toggle": "Panneau du guide",
    "key.guide_run": "Exécuter (animateur)",
    # --- the panel ---
    "guide.title": "Scénario : {title}",
    "guide.variant": "Variante : {variant}",
    "guide.position": "Étape {number} / {total}",
    "guide.step.passed": "✓ étape réussie",
    "guide.notes": "Notes pour l'animateur",
    "guide.action": "À faire",
    "guide.action.none": "Pas d'action : observez la personne.",
    "guide.action.by_facilitator": "À faire par l'animateur",
    "guide.action.no_token": "À faire par l'animateur (console /admin) : l'application n'a pas "
                             "de jeton animateur.",
    "guide.run": "Exécuter (animateur)",
    "guide.run.running": "… action de l'animateur en cours",
    "guide.run.done": "✓ {report}",
    "guide.run.failed": "✗ L'action n'a pas pu être faite : {reason}",
    "guide.run.refused.title": "Action de l'animateur",
    "guide.run.refused": "L'application n'a pas de jeton animateur : faites cette action dans "
                         "la console, ou relancez avec --facilitator-token.",
    "guide.run.signed_out": "Connectez-vous d'abord : l'action vise l'espace de la personne "
                            "connectée.",
    "guide.checks": "Vérifications",
    "guide.checks.none": "Rien à vérifier : passez à l'étape suivante quand vous voulez.",
    "guide.checks.waiting": "Les vérifications commencent après la connexion.",
    "guide.status.passed": "✓ vérifié",
    "guide.status.pending": "… en attente",
    "guide.status.failed": "✗",
    "guide.check.line": "{status} — {what}",
    "guide.start": "Départ",
    "guide.start.waiting": "Dès la connexion, l'application préparera l'espace de la personne "
                           "connectée pour ce scénario.",
    "guide.start.running": "Préparation de l'espace de {account}…",
    "guide.start.done": "✓ Espace de {account} préparé pour le scénario.",
    "guide.start.failed": "✗ La préparation a échoué : {reason}",
    "guide.start.manual": "À préparer par l'animateur : {start}.",
    "guide.start.describe": "compte {patient}{acting_for}, maille {maille}, horloge {clock}, "
                            "{services}",
    "guide.start.for": " (agit pour : {name})",
    "guide.start.clock.paused": "en pause",
    "guide.start.clock.running": "en marche",
    "guide.start.clock.speed": "en marche ×{speed}",
    "guide.start.services.none": "aucun service connecté",
    "guide.start.services": "services connectés : {services}",
    "guide.start.service": "{service} ({duration})",
    "guide.start.service.refusing": "{service} (sans {permissions} ; {duration})",
    "guide.prepared.title": "Scénario prêt",
    "guide.prepared": "Espace de {account} préparé : le scénario peut commencer.",
    "guide.prepare_failed.title": "Préparation impossible",
    "guide.shared": "Serveur partagé : les sauts d'horloge et les suspensions de services "
                    "valent pour tous les participants.",
    "guide.keys": "{next} étape suivante · {previous} étape précédente · {toggle} masquer ou "
                  "montrer ce panneau",
    "guide.keys.run": "{run} exécuter l'action de l'animateur",
}
