"""Wire protocols: one package per protocol, each with a frontend and a backend."""
