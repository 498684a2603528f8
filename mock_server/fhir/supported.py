"""What this FHIR API serves, per resource type: the routes, the CapabilityStatement and the error
messages all read it from here."""

from __future__ import annotations

INTERACTIONS: dict[str, tuple[str, ...]] = {
    "Patient": ("read",),
    "Observation": ("read", "search-type", "create"),
    "DocumentReference": ("read", "search-type", "create"),
    "Binary": ("read",),
    "Appointment": ("read", "search-type", "create", "update"),
    "Consent": ("read", "search-type"),
    "AuditEvent": ("read", "search-type"),
}
"""Resource type -> FHIR TypeRestfulInteraction codes answered for it."""

SERVED_TYPES = frozenset(INTERACTIONS)

PATIENT_ONLY_TYPES = frozenset({"Consent", "AuditEvent"})
"""Types only the patient (through Mon espace santé itself) may change; apps never write them."""

DOCUMENTATION: dict[str, str] = {
    "Patient": "Le patient du jeton uniquement ; tout autre identifiant donne 404.",
    "Observation": (
        "Mesures de santé (catégorie vital-signs, 10 codes LOINC). Création : POST Observation ou "
        "POST [base] avec un Bundle transaction (une Observation et au plus un Device en création "
        "conditionnelle sur son identifiant). meta.profile obligatoire ; l'IMC est calculé par la "
        "plateforme et ne peut pas être écrit."
    ),
    "DocumentReference": (
        "Documents de santé (34 types, 6 groupes). À la création, chaque content.attachment porte "
        "ses données en base64 (data) ; la plateforme les range dans un Binary et remplace data "
        "par url, size et hash."
    ),
    "Binary": (
        "Contenu d'un document : Accept FHIR/JSON pour la ressource Binary, ou Accept égal à son "
        "contentType pour les octets bruts."
    ),
    "Appointment": 'Agenda ; mise à jour par PUT avec If-Match: W/"<version>" facultatif.',
    "Consent": (
        "Autorisations données par le patient aux services (une par service, versionnée), pour "
        "l'application du patient seulement. Recherche : status (active, inactive), _count, "
        "_offset. Le patient les modifie par /grants, jamais par l'API FHIR."
    ),
    "AuditEvent": (
        "Journal des échanges (un AuditEvent par requête d'un service, autorisée ou refusée), en "
        "lecture seule pour l'application du patient. Recherche : date (ge/le...), outcome (0 "
        "autorisé, 4 refusé, 8 échec), agent (identifiant du service), _count, _offset, _sort."
    ),
    "Device": (
        "Appareil de mesure, créé uniquement dans un Bundle transaction avec une Observation "
        "(request.ifNoneExist: identifier=<système>|<valeur>)."
    ),
}
