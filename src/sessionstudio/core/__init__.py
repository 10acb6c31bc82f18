"""Pure-Python foundations (stdlib only): ids, times, errors, change sets, signals."""
