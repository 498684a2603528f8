"""(being written)"""


def build_appointments(rng, patient, anchor):
    return []
