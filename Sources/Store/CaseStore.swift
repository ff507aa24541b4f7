import GRDB
import Input

// The case database arrives with issue 5.
