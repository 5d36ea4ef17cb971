package ship

import "testing"

// BenchmarkBuild measures a full in-memory build of the shipped files (the
// work of `mreval collection build` and `check`, less the file I/O).
func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		if _, err := Build(root); err != nil {
			b.Fatal(err)
		}
	}
}
