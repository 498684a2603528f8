"""(being written)"""


def build_measures(rng, patient, anchor):
    return []
