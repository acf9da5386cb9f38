from tests.support.discord_fake.fake import *  # noqa: F403  (temporary, split follows)
