"""datajobs: a Slack bot for SeekrFlow data jobs."""
