package main

import "github.com/ntcir-pmr/mreval/eval/inputs"

// inputError gives an error of eval/inputs the exit status of its kind:
// inputs named wrongly are a bad invocation (2), bad contents bad input (1).
func inputError(err error) error {
	if inputs.IsUsage(err) {
		return usageError{err}
	}
	return err
}
