{{/* The chart name, overridable. */}}
{{- define "hub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "<release>-<chart>" (or the override), the prefix of every resource name. */}}
{{- define "hub.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels on every resource. */}}
{{- define "hub.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "hub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: integration-hub
{{- end -}}

{{/* Selector labels of one component (call with dict "root" $ "component" "operator"). */}}
{{- define "hub.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hub.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "hub.operator.fullname" -}}
{{- printf "%s-operator" (include "hub.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hub.dataPlane.fullname" -}}
{{- printf "%s-data-plane" (include "hub.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hub.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create -}}
{{- default (include "hub.operator.fullname" .) .Values.operator.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.operator.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "hub.dataPlane.serviceAccountName" -}}
{{- if .Values.dataPlane.serviceAccount.create -}}
{{- default (include "hub.dataPlane.fullname" .) .Values.dataPlane.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.dataPlane.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding INTEGRATION_* secrets: the user's existing one or the chart's. */}}
{{- define "hub.secretName" -}}
{{- default (printf "%s-secrets" (include "hub.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "hub.configMapName" -}}
{{- printf "%s-config" (include "hub.fullname" .) -}}
{{- end -}}

{{- define "hub.leaseName" -}}
{{- default (include "hub.operator.fullname" .) .Values.operator.leaderElection.leaseName -}}
{{- end -}}

{{/* An image reference; the tag defaults to the chart's appVersion. */}}
{{- define "hub.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* Prefer spreading a component's replicas over nodes, unless the user set an affinity. */}}
{{- define "hub.affinity" -}}
{{- if .affinity -}}
{{- toYaml .affinity -}}
{{- else -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "hub.selectorLabels" (dict "root" .root "component" .component) | nindent 12 }}
{{- end -}}
{{- end -}}

{{/* What the operator may do in a watched namespace (or cluster-wide). */}}
{{- define "hub.operator.rules" -}}
- apiGroups: ["integrationhub.io"]
  resources: ["providers"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["integrationhub.io"]
  resources: ["providers/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["integrationhub.io"]
  resources: ["providers/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}
