"""The ways into bulk intake that bench/notifications.py measures besides the direct one."""
