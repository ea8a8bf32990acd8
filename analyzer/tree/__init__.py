"""Reply trees: building forests from rows with parent pointers (ghosts, broken references),
the array algorithms behind them, the caps applied while building, and the notebook ``Thread``."""
