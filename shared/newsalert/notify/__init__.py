"""The notify stage: breaking articles made into alerts, rendered per channel, published once."""
