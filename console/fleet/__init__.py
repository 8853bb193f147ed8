"""MQTT device protocol: topics, payload schemas, client, ingest, fleet state, commands."""
