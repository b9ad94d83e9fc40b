{{- define "erlmachine.fullname" -}}
{{- if contains "erlmachine" .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-erlmachine" .Release.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "erlmachine.labels" -}}
app.kubernetes.io/name: erlmachine-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "erlmachine.selectorLabels" -}}
app.kubernetes.io/name: erlmachine-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "erlmachine.serviceAccountName" -}}
{{ default (include "erlmachine.fullname" .) .Values.serviceAccount.name }}
{{- end -}}

{{/* Rules for the resources the operator manages in the namespaces it watches. */}}
{{- define "erlmachine.managedRules" -}}
- apiGroups: [erlmachine.io]
  resources: [machines, gearboxes, transmissions]
  verbs: [get, list, watch, update, patch]
- apiGroups: [erlmachine.io]
  resources: [machines/status, gearboxes/status, transmissions/status]
  verbs: [get, update, patch]
- apiGroups: [""]
  resources: [configmaps, services, serviceaccounts]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [apps]
  resources: [statefulsets]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [get, create, update, patch, delete]
# The engine hosts' PodDisruptionBudget (one host away at a time): written by server-side apply, which
# needs create for a new one and patch afterwards; read once after a restart; deleted with the hosts.
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, create, patch, delete]
# Hosts report on Leases; the operator reads them, and must hold what the hosts' Role grants to create it.
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [get, list, watch, create, update, patch]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
# The engine hosts' control token: the operator creates it (create cannot be limited by name) and may
# read, change or delete that one Secret only; it never reads any other Secret.
- apiGroups: [""]
  resources: [secrets]
  verbs: [create]
- apiGroups: [""]
  resources: [secrets]
  resourceNames: [erlmachine-host-control]
  verbs: [get, update, patch, delete]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end -}}
