package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/audit-tool/audit/fleet"
)

const kubeDir = "../../examples/kubernetes"

// manifests decodes every document of examples/kubernetes strictly with the
// Kubernetes API types: an unknown or misspelt field fails the test.
func manifests(t *testing.T) (cronJobs []*batchv1.CronJob, secrets []*corev1.Secret, claims []*corev1.PersistentVolumeClaim) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(kubeDir, "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		src, err := os.ReadFile(file)
		require.NoError(t, err)
		for i, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(src), -1) {
			if len(bytes.TrimSpace([]byte(doc))) == 0 {
				continue
			}
			var meta struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			require.NoError(t, yaml.Unmarshal([]byte(doc), &meta), "%s doc %d", file, i)
			var obj any
			switch meta.APIVersion + " " + meta.Kind {
			case "batch/v1 CronJob":
				cj := &batchv1.CronJob{}
				cronJobs, obj = append(cronJobs, cj), cj
			case "v1 Secret":
				s := &corev1.Secret{}
				secrets, obj = append(secrets, s), s
			case "v1 PersistentVolumeClaim":
				c := &corev1.PersistentVolumeClaim{}
				claims, obj = append(claims, c), c
			default:
				t.Fatalf("%s doc %d: no test decodes %s %s", file, i, meta.APIVersion, meta.Kind)
			}
			require.NoError(t, yaml.UnmarshalStrict([]byte(doc), obj), "%s doc %d", file, i)
		}
	}
	return cronJobs, secrets, claims
}

func TestStrictDecodeRejectsUnknownFields(t *testing.T) {
	doc := "apiVersion: batch/v1\nkind: CronJob\nspec:\n  schedul: \"* * * * *\"\n"
	assert.Error(t, yaml.UnmarshalStrict([]byte(doc), &batchv1.CronJob{}), "a misspelt field must fail, or the manifest test proves nothing")
}

func env(c corev1.Container, name string) *corev1.EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

func TestKubernetesManifests(t *testing.T) {
	cronJobs, secrets, claims := manifests(t)
	require.Len(t, secrets, 1)
	require.Len(t, cronJobs, 2)
	claimNames := map[string]bool{}
	for _, c := range claims {
		claimNames[c.Name] = true
	}
	secret := secrets[0]
	_, ok := secret.StringData["url"]
	require.True(t, ok, "the Secret holds the store URL under url")

	byName := map[string]*batchv1.CronJob{}
	for _, cj := range cronJobs {
		byName[cj.Name] = cj
		pod := cj.Spec.JobTemplate.Spec.Template.Spec
		assert.Equal(t, corev1.RestartPolicyNever, pod.RestartPolicy, cj.Name)
		for _, v := range pod.Volumes {
			if v.PersistentVolumeClaim != nil {
				assert.True(t, claimNames[v.PersistentVolumeClaim.ClaimName], "%s: claim %s is declared", cj.Name, v.PersistentVolumeClaim.ClaimName)
			}
		}
		require.Len(t, pod.Containers, 1)
		c := pod.Containers[0]
		store := env(c, envStore)
		require.NotNil(t, store, "%s: the store URL comes from the environment", cj.Name)
		require.NotNil(t, store.ValueFrom)
		require.NotNil(t, store.ValueFrom.SecretKeyRef, "%s: from the Secret, never inline", cj.Name)
		assert.Equal(t, secret.Name, store.ValueFrom.SecretKeyRef.Name)
		assert.Equal(t, "url", store.ValueFrom.SecretKeyRef.Key)

		// The arguments are a command line the binary accepts.
		root := newRootCmd(newApp(&bytes.Buffer{}, &bytes.Buffer{}))
		cmd, rest, err := root.Find(c.Args)
		require.NoError(t, err, "%s: %v", cj.Name, c.Args)
		require.NoError(t, cmd.ParseFlags(rest), "%s: %v", cj.Name, c.Args)
		assert.Equal(t, "fleet", cmd.Parent().Name(), cj.Name)
	}

	run := byName["audit-fleet"]
	require.NotNil(t, run)
	job := run.Spec.JobTemplate.Spec
	require.NotNil(t, job.CompletionMode)
	assert.Equal(t, batchv1.IndexedCompletion, *job.CompletionMode)
	require.NotNil(t, job.Completions)
	require.NotNil(t, job.Parallelism)
	c := job.Template.Spec.Containers[0]
	assert.Equal(t, []string{"fleet", "run"}, c.Args[:2])
	shards := env(c, fleet.EnvCount)
	require.NotNil(t, shards, "the shard count for JOB_COMPLETION_INDEX")
	n, err := strconv.Atoi(shards.Value)
	require.NoError(t, err)
	assert.Equal(t, int(*job.Completions), n, "AUDIT_SHARDS equals completions, or merchants are skipped or run twice")
	assert.LessOrEqual(t, *job.Parallelism, *job.Completions)
	runID := env(c, envFleetRun)
	require.NotNil(t, runID)
	require.NotNil(t, runID.ValueFrom.FieldRef, "every pod of the Job shares its name as the fleet run id")
	assert.Equal(t, "metadata.labels['batch.kubernetes.io/job-name']", runID.ValueFrom.FieldRef.FieldPath)
	assert.Contains(t, c.Args, "--record-only", "a NO-GO merchant is no pod failure to retry")

	report := byName["audit-fleet-report"]
	require.NotNil(t, report)
	assert.Equal(t, []string{"fleet", "report"}, report.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args[:2])
	assert.NotEqual(t, run.Spec.Schedule, report.Spec.Schedule, "the report runs after the fleet run")
}
