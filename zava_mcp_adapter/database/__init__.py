"""Where the database comes from: the embedded server, local secrets, and provisioning."""
