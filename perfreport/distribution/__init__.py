"""Report distribution: subscriptions of people, roles and outside addresses
to a report, sent when a round is published or on a schedule."""
