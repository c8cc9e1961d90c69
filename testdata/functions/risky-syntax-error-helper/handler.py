from utils import helper


def handle(client, data):
    return helper(client, data)
