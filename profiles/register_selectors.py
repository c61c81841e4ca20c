"""What the source registers say about the user, for the read-only block on 'Mijn gegevens'."""


def register_blocks(profile) -> list[dict]:
    return []
