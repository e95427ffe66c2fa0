//! JSON Schema of the input format.
