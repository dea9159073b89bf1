package input

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/ipcap/ipcap/capacity/aksjson"
)

// Exit statuses of the example programs.
const (
	ExitOK    = 0 // done, or -h
	ExitError = 1 // the program could not do its job
	ExitUsage = 2 // a bad flag, argument or input file
)

// usageError is a bad flag, argument or input file.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// BadUsage marks err as the user's: a bad flag, argument or input file, for
// exit status 2. It returns nil for nil.
func BadUsage(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

// Usagef is BadUsage(fmt.Errorf(format, args...)).
func Usagef(format string, args ...any) error { return BadUsage(fmt.Errorf(format, args...)) }

// ExitCode maps what run returned to an exit status: 0 for success and for
// -h, 2 for bad usage or input (BadUsage, an unreadable or malformed input
// file), 1 for anything else.
func ExitCode(err error) int {
	var ue *usageError
	var ae *aksjson.Error
	var pe *fs.PathError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.As(err, &ue) || errors.As(err, &ae) || errors.As(err, &pe):
		return ExitUsage
	}
	return ExitError
}

// Report prints err for the user as "name: err" (nothing for -h, whose
// usage the flag package printed) and returns the exit status. A panic in
// run becomes one line, never a stack trace.
func Report(name string, stderr io.Writer, run func() error) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "%s: internal error, please report it: %v\n", name, r)
			code = ExitError
		}
	}()
	err := run()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
	}
	return ExitCode(err)
}

// Main runs an example's run function with os.Args, os.Stdout and
// os.Stderr, and exits with the status Report gives.
func Main(name string, run func(args []string, stdout, stderr io.Writer) error) {
	os.Exit(Report(name, os.Stderr, func() error { return run(os.Args[1:], os.Stdout, os.Stderr) }))
}
