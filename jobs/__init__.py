"""Work done outside requests, each job its own transaction boundary: delivering the outbox."""
