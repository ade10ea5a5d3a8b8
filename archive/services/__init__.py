"""Domain operations: each takes the acting user, checks scope, changes records and audits."""
