package testenv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"syscall"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create databases
)

// Postgres is a PostgreSQL server of the tests' own, in a temporary folder,
// listening on 127.0.0.1 only, with trust authentication for user "audit".
// Start one per test package (TestMain) and give each test its own database
// with NewDatabase.
type Postgres struct {
	dir    string
	port   int
	pgCtl  string
	runAs  *syscall.Credential
	nextDB atomic.Int64
}

// StartPostgres runs initdb and pg_ctl from Debian's postgresql package
// (scripts/setup.sh installs it). PostgreSQL refuses to run as root, so as
// root the server runs as the unprivileged "postgres" user (or "nobody").
func StartPostgres() (*Postgres, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	p := &Postgres{pgCtl: filepath.Join(bin, "pg_ctl")}
	if os.Geteuid() == 0 {
		if p.runAs, err = unprivileged(); err != nil {
			return nil, err
		}
	}
	base := ""
	if p.runAs != nil {
		base = "/tmp" // $TMPDIR may sit under root's home, closed to that user
	}
	if p.dir, err = os.MkdirTemp(base, "audit-pg-"); err != nil {
		return nil, err
	}
	if err := p.own(p.dir); err != nil {
		p.cleanup()
		return nil, err
	}
	data := filepath.Join(p.dir, "data")
	if out, err := p.command(filepath.Join(bin, "initdb"), "-D", data, "-U", "audit", "--auth=trust",
		"-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		p.cleanup()
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	var lastErr error
	for range 3 { // the free port can be taken between probing and binding
		if lastErr = p.start(data); lastErr == nil {
			return p, nil
		}
	}
	p.cleanup()
	return nil, lastErr
}

func (p *Postgres) start(data string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	p.port = port
	// fsync off and small buffers: a test server, thrown away at the end.
	opts := fmt.Sprintf("-h 127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB",
		port, p.dir)
	logFile := filepath.Join(p.dir, "server.log")
	out, err := p.command(p.pgCtl, "start", "-w", "-t", "180", "-D", data, "-l", logFile, "-o", opts).CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(logFile)
		return fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log)
	}
	return nil
}

// URL is the server's maintenance database.
func (p *Postgres) URL() string { return p.urlOf("postgres") }

func (p *Postgres) urlOf(db string) string {
	return fmt.Sprintf("postgres://audit@127.0.0.1:%d/%s?sslmode=disable", p.port, db)
}

// NewDatabase creates an empty database and returns its URL, so tests that
// share the server do not see each other's rows.
func (p *Postgres) NewDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("t%d_%d", os.Getpid(), p.nextDB.Add(1))
	db, err := sql.Open("pgx", p.URL())
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return p.urlOf(name), nil
}

// Stop shuts the server down and removes its folder.
func (p *Postgres) Stop() {
	_ = p.command(p.pgCtl, "stop", "-w", "-m", "fast", "-D", filepath.Join(p.dir, "data")).Run()
	p.cleanup()
}

func (p *Postgres) cleanup() { _ = os.RemoveAll(p.dir) }

func (p *Postgres) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = p.dir
	if p.runAs != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.runAs}
		cmd.Env = append(os.Environ(), "HOME="+p.dir)
	}
	return cmd
}

func (p *Postgres) own(dir string) error {
	if p.runAs == nil {
		return nil
	}
	return os.Chown(dir, int(p.runAs.Uid), int(p.runAs.Gid))
}

// postgresBin finds the folder of initdb and pg_ctl: Debian keeps them out
// of PATH, under /usr/lib/postgresql/VERSION/bin (the newest wins).
func postgresBin() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool { return version(matches[i]) > version(matches[j]) })
	if len(matches) > 0 {
		return filepath.Dir(matches[0]), nil
	}
	if path, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(path), nil
	}
	return "", errors.New("PostgreSQL is not installed (run scripts/setup.sh): no initdb")
}

func version(initdb string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return v
}

func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if uid == 0 {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root and no unprivileged user (postgres, nobody) to run PostgreSQL as")
}
