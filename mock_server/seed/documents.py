"""(being written)"""


def build_documents(rng, population, anchor):
    return []
