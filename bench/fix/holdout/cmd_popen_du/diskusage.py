import os


def folder_size_kb(directory):
    output = os.popen("du -sk " + directory).read()
    return int(output.split()[0])
