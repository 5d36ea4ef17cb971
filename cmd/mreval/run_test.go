package main

import "bytes"

// runCLI runs mreval with args (without the program name) and returns its
// exit status, standard output and standard error.
func runCLI(args ...string) (status int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	status = run(append([]string{"mreval"}, args...), &out, &errOut)
	return status, out.String(), errOut.String()
}
