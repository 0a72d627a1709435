"""The base of every error the assessment raises for bad input (a table, a rule file, a name):
its message is Chinese and meant for the user; the command line turns it into exit code 2."""


class AssessmentError(ValueError):
    """Bad input to the assessment; str() is the Chinese message."""
