{{/*
Settings that contradict each other stop the render with a message that says which values to change.
Included from validate.yaml, which renders nothing else.
*/}}
{{- define "hub.validate" -}}
{{- $dp := .Values.dataPlane -}}
{{- $auto := $dp.autoscaling -}}
{{- $fewest := int (ternary $auto.minReplicas $dp.replicas $auto.enabled) -}}
{{- $most := int (ternary $auto.maxReplicas $dp.replicas $auto.enabled) -}}
{{- if and $auto.enabled (gt (int $auto.minReplicas) (int $auto.maxReplicas)) -}}
{{- fail (printf "dataPlane.autoscaling.minReplicas (%d) is above dataPlane.autoscaling.maxReplicas (%d)." (int $auto.minReplicas) (int $auto.maxReplicas)) -}}
{{- end -}}
{{- if and (gt $most 1) (not .Values.secrets.valkeyUrl) (not .Values.secrets.existingSecret) (not $dp.approximateLimitsWithoutValkey) -}}
{{- fail (printf "dataPlane: up to %d replicas and no Valkey. Each replica would keep its own circuit breakers and rate limiters, so every provider's rate limit would be multiplied by the number of replicas. Set secrets.valkeyUrl (or secrets.existingSecret with INTEGRATION_VALKEY_URL in it), or run one replica (dataPlane.replicas=1, dataPlane.autoscaling.enabled=false), or accept approximate limits with dataPlane.approximateLimitsWithoutValkey=true." $most) -}}
{{- end -}}
{{- if and $dp.podDisruptionBudget.enabled (not (kindIs "string" $dp.podDisruptionBudget.minAvailable)) (ge (int $dp.podDisruptionBudget.minAvailable) $fewest) -}}
{{- fail (printf "dataPlane.podDisruptionBudget.minAvailable (%d) must be below the data plane's fewest replicas (%d), or no node drain can ever evict a data-plane pod. Lower it, add replicas, or set dataPlane.podDisruptionBudget.enabled=false." (int $dp.podDisruptionBudget.minAvailable) $fewest) -}}
{{- end -}}
{{- if and .Values.operator.enabled (gt (int .Values.operator.replicas) 1) (not .Values.operator.leaderElection.enabled) -}}
{{- fail (printf "operator.replicas is %d with operator.leaderElection.enabled=false: the operators would reconcile the same Providers at once. Enable leader election or run one operator replica." (int .Values.operator.replicas)) -}}
{{- end -}}
{{- end -}}
