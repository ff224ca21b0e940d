"""aedplan: plan 4-minute AED rescue circles on real street networks."""
