// Command compress writes the precompressed variants that package static serves: for every
// compressible file NAME under css, js, vendor and img it writes NAME.br (brotli, quality 11)
// and NAME.gz (gzip, best compression, empty header) next to NAME, and deletes variants whose
// source is gone. Package static runs it through go generate:
//
//	go generate ./static/
//
// Compressing at build time lets the server send the smallest encodings (brotli at its
// slowest setting takes about a second for ECharts) without spending that time on a request.
// The output depends only on the input bytes, so running it again changes nothing and a
// review shows a variant change only when its source changed. static's tests fail when a
// committed variant does not decompress to its source.
//
// Flags:
//
//	-dir DIR   the static folder to work on (default "."; go generate runs in static/)
//	-q         print nothing but errors
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

// roots are the folders that static.go embeds (//go:embed css js vendor img).
var roots = []string{"css", "js", "vendor", "img"}

// compressible are the extensions that package static serves compressed; its tests check
// that both lists agree.
var compressible = map[string]bool{".js": true, ".mjs": true, ".css": true, ".svg": true, ".json": true, ".map": true}

// suffixes of the variants, in the order they are written and reported.
var suffixes = []string{".br", ".gz"}

func main() {
	dir := flag.String("dir", ".", "the static folder")
	quiet := flag.Bool("q", false, "print nothing but errors")
	flag.Parse()
	if err := run(*dir, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, "compress:", err)
		os.Exit(1)
	}
}

func run(dir string, quiet bool) error {
	var sources, variants []string
	for _, root := range roots {
		err := filepath.WalkDir(filepath.Join(dir, root), func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == filepath.Join(dir, root) {
				return fs.SkipDir
			}
			if err != nil {
				return err
			}
			// go:embed leaves out names starting with "." or "_" inside a folder; so do we.
			if b := d.Name(); strings.HasPrefix(b, ".") || strings.HasPrefix(b, "_") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			switch ext := filepath.Ext(p); {
			case ext == ".br" || ext == ".gz":
				variants = append(variants, p)
			case compressible[strings.ToLower(ext)]:
				sources = append(sources, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}

	keep := map[string]bool{}
	for _, src := range sources {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		br, err := compressBrotli(data)
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		gz, err := compressGzip(data)
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		for i, b := range [][]byte{br, gz} {
			name := src + suffixes[i]
			keep[name] = true
			if err := writeIfChanged(name, b); err != nil {
				return err
			}
		}
		if !quiet {
			rel, _ := filepath.Rel(dir, src)
			fmt.Printf("%-34s %9d raw %9d gzip %9d br\n", filepath.ToSlash(rel), len(data), len(gz), len(br))
		}
	}
	for _, v := range variants {
		if keep[v] {
			continue
		}
		if err := os.Remove(v); err != nil {
			return err
		}
		if !quiet {
			fmt.Printf("removed %s (no source)\n", v)
		}
	}
	return nil
}

// compressBrotli compresses at quality 11 with the default window (4 MiB, larger than any
// asset), which every browser that sends "br" can decode.
func compressBrotli(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// compressGzip compresses at gzip.BestCompression with a zero header (no name, no time), so
// the output depends only on data.
func compressGzip(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeIfChanged leaves an identical file alone, so its modification time says when its
// content last changed.
func writeIfChanged(name string, data []byte) error {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return os.WriteFile(name, data, 0o644)
}
