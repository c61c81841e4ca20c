"""The person's rights under the AVG: download everything, erase everything, and retention.

Its own Django app (label "rights") inside the profiles layer, so its tables and migrations
stay apart from the profile's. What the portal keeps about a person is spread over the apps;
profiles may not import consent or notifications, so each app contributes its part through the
registry in profiles.rights.parts (registered in its AppConfig.ready).
"""
