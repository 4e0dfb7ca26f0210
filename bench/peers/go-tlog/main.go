// Command go-tlog is the bench's peer for tiled logs: it verifies a C2SP tlog-tiles log the way
// Go's own code does, with golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog.
//
//		go-tlog <log dir> <verifier key file>
//
//	 1. opens the checkpoint with note.Open and the given verifier key (Ed25519 note signature);
//	 2. reads every entry bundle (tile/entries/...), hashes each entry with tlog.RecordHash and
//	    stores the tree's hashes with tlog.StoredHashesForRecordHash, as x/mod's server code does;
//	 3. recomputes the tree hash with tlog.TreeHash and compares it with the checkpoint's root;
//	 4. compares every hash tile the checkpoint's size needs (tlog.NewTiles) with tlog.ReadTileData.
//
// Memory: the 2n stored hashes (64 MB per million entries), as x/mod keeps them.
//
// Prints one JSON line: {"ok":…,"size":…,"seconds":…,…}. Exit 0 when ok, 1 when not, 2 on usage.
// The checkpoint's first line is the log's origin (c2sp.org/tlog-checkpoint), not the go.sum
// header tlog.ParseTree expects, so its three body lines are parsed here.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8

type result struct {
	OK      bool    `json:"ok"`
	Size    int64   `json:"size"`
	Seconds float64 `json:"seconds"`
	Root    string  `json:"root,omitempty"`
	Tiles   int     `json:"tiles_checked"`
	Bytes   int64   `json:"entry_bytes"`
	Error   string  `json:"error,omitempty"`
}

// tilesPath maps x/mod's tile path (tile/H/L/N, tile/H/data/N) to the tlog-tiles one
// (tile/L/N, tile/entries/N), which has no height element.
func tilesPath(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), fmt.Sprintf("tile/%d/", height))
	if strings.HasPrefix(p, "data/") {
		p = "entries/" + strings.TrimPrefix(p, "data/")
	}
	return "tile/" + p
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go-tlog <log dir> <verifier key file>")
		os.Exit(2)
	}
	t0 := time.Now()
	r := verify(os.Args[1], os.Args[2])
	r.Seconds = time.Since(t0).Seconds()
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
	if !r.OK {
		os.Exit(1)
	}
}

func verify(dir, vkeyFile string) result {
	fail := func(format string, a ...any) result { return result{Error: fmt.Sprintf(format, a...)} }
	vkey, err := os.ReadFile(vkeyFile)
	if err != nil {
		return fail("%v", err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		return fail("verifier key: %v", err)
	}
	msg, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		return fail("%v", err)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return fail("checkpoint signature: %v", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 || lines[0] != verifier.Name() {
		return fail("checkpoint origin is not %q", verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || lines[1] != strconv.FormatInt(size, 10) {
		return fail("checkpoint size %q", lines[1])
	}
	rootBytes, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(rootBytes) != tlog.HashSize {
		return fail("checkpoint root %q", lines[2])
	}
	var root tlog.Hash
	copy(root[:], rootBytes)

	// Every stored hash of the tree, indexed by tlog.StoredHashIndex: 2n hashes.
	stored := make([]tlog.Hash, 0, tlog.StoredHashCount(size))
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			if x >= int64(len(stored)) {
				return nil, fmt.Errorf("hash %d not stored", x)
			}
			out[i] = stored[x]
		}
		return out, nil
	})

	var entryBytes int64
	for k := int64(0); k*(1<<height) < size; k++ {
		w := size - k*(1<<height)
		if w > 1<<height {
			w = 1 << height
		}
		t := tlog.Tile{H: height, L: -1, N: k, W: int(w)}
		data, err := os.ReadFile(filepath.Join(dir, tilesPath(t)))
		if err != nil {
			return fail("%v", err)
		}
		entryBytes += int64(len(data))
		// An entry bundle: each entry as a big-endian uint16 length and that many bytes.
		for i := int64(0); i < w; i++ {
			if len(data) < 2 || len(data) < 2+int(binary.BigEndian.Uint16(data)) {
				return fail("entry bundle %s is truncated", tilesPath(t))
			}
			l := int(binary.BigEndian.Uint16(data))
			e := data[2 : 2+l]
			data = data[2+l:]
			hs, err := tlog.StoredHashesForRecordHash(k*(1<<height)+i, tlog.RecordHash(e), reader)
			if err != nil {
				return fail("%v", err)
			}
			stored = append(stored, hs...)
		}
		if len(data) != 0 {
			return fail("entry bundle %s has trailing bytes", tilesPath(t))
		}
	}

	th, err := tlog.TreeHash(size, reader)
	if err != nil {
		return fail("%v", err)
	}
	res := result{Size: size, Root: base64.StdEncoding.EncodeToString(th[:]), Bytes: entryBytes}
	if th != root {
		res.Error = "tree hash differs from the checkpoint root"
		return res
	}
	// NewTiles(h, 0, n) lists every partial width a tile went through; size n needs the widest.
	all := tlog.NewTiles(height, 0, size)
	for i, t := range all {
		if i+1 < len(all) && all[i+1].L == t.L && all[i+1].N == t.N {
			continue
		}
		want, err := tlog.ReadTileData(t, reader)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		got, err := os.ReadFile(filepath.Join(dir, tilesPath(t)))
		if err != nil {
			res.Error = err.Error()
			return res
		}
		if !bytes.Equal(got, want) {
			res.Error = fmt.Sprintf("hash tile %s differs from the entries", tilesPath(t))
			return res
		}
		res.Tiles++
	}
	res.OK = true
	return res
}
