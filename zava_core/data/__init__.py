"""Package data: the Zava reference facts (stores, year weights, product names) the generator reads."""
