"""The pupils registry's API: students, enrolments, exemptions, organisations, and what the
request endpoints of leave and vrijstelling share."""
