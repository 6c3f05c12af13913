"""Pure rules of the domain: no I/O, no clock of their own, easy to test."""
