import sys


def dump_settings(settings):
    for name, value in settings.items():
        sys.stdout.write(f"{name}={value}\n")
