"""The public contract, checked on every endpoint at once: the OpenAPI document, the
error shape, contract fuzzing and hostile input."""
