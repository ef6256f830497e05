import os


def compress(path):
    """gzip a log file in place, keeping the original. Returns True on success."""
    status = os.system("gzip -kf " + path)
    return status == 0
