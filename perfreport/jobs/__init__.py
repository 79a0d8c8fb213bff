"""Background and scheduled work: the task queue's settings, the schedules kept
in the database, the record of every run, and the ``perfreport worker`` process.

Apps above this one register the jobs they offer (reminders, distribution,
feeds, charts); this app knows them only through that registry."""
