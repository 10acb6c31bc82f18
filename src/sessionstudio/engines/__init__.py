"""Generation engines: what actions exist, which engine provides them (the registry and
the built-in engine arrive with the Generation issue)."""
