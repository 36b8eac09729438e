"""What to change on the site, each change with its predicted effect (plan stage)."""
