/**
 * The alarms written once per function and per route, for serverless.yml's `resources`
 * (`${file(./infra/alarms.cjs)}`): the serverless CLI calls this with the resolved configuration.
 *
 * - per HTTP route (HEAD and OPTIONS aside): more than `routeErrorPercent` % of at least 20 requests answered 5xx in 5 minutes,
 *   from the `ServerErrors` and `Requests` metrics every handler publishes (src/http/api-gateway.ts);
 * - per function: Lambda errors (a crash or a timeout: never expected, every handler answers its own
 *   failures) and throttles;
 * - SLA escalations: more than `slaEscalationThreshold` conversations escalated in 15 minutes,
 *   from the `SlaEscalations` metric of the handoff job (handlers/handoff-jobs.ts).
 *
 * Every alarm goes to AlarmTopic. CommonJS: the CLI loads this file with require().
 */
const JOBS_ROUTE = "schedule handoff-jobs";
const MIN_REQUESTS = 20;

module.exports = async ({ resolveConfigurationProperty, resolveVariable }) => {
  const functions = (await resolveConfigurationProperty(["functions"])) ?? {};
  const service = await resolveVariable("self:service");
  const stage = await resolveVariable("sls:stage");
  const namespace = `Guardline/${stage}`;
  const routeErrorPercent = Number(await resolveVariable("param:routeErrorPercent"));
  const slaEscalations = Number(await resolveVariable("param:slaEscalationThreshold"));
  const alarm = (properties) => ({
    Type: "AWS::CloudWatch::Alarm",
    Properties: { ...properties, AlarmActions: [{ Ref: "AlarmTopic" }] },
  });
  const ourMetric = (name, route) => ({
    Namespace: namespace,
    MetricName: name,
    Dimensions: [
      { Name: "service", Value: service },
      { Name: "route", Value: route },
    ],
  });

  const resources = {};
  for (const [name, fn] of Object.entries(functions)) {
    const logicalId = `${name[0].toUpperCase()}${name.slice(1)}LambdaFunction`;
    const lambdaMetric = (metric) => ({
      Namespace: "AWS/Lambda",
      MetricName: metric,
      Dimensions: [{ Name: "FunctionName", Value: { Ref: logicalId } }],
    });
    const scheduled = (fn.events ?? []).some((e) => e.schedule);
    resources[`${logicalId}ErrorsAlarm`] = alarm({
      AlarmDescription: `${name}: the function failed (crashed or timed out) in 5 minutes.`,
      ...lambdaMetric("Errors"),
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: scheduled ? 3 : 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      // A schedule that stops running is as bad as one that fails.
      TreatMissingData: scheduled ? "breaching" : "notBreaching",
    });
    resources[`${logicalId}ThrottlesAlarm`] = alarm({
      AlarmDescription: `${name}: invocations were throttled (a flood, or its concurrency is too low).`,
      ...lambdaMetric("Throttles"),
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    });
    for (const event of fn.events ?? []) {
      const http = event.httpApi;
      if (!http || http.method === "HEAD" || http.method === "OPTIONS") continue;
      const route = `${http.method} ${http.path}`;
      // "POST /agent/conversations/{id}/reply" → "PostAgentConversationsIdReply", "GET /" → "GetRoot".
      const words = `${http.method} ${http.path === "/" ? "root" : http.path}`.split(/[^A-Za-z0-9]+/);
      const id = words
        .filter(Boolean)
        .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
        .join("");
      const stat = (metricId, metric) => ({
        Id: metricId,
        MetricStat: { Metric: ourMetric(metric, route), Period: 300, Stat: "Sum" },
        ReturnData: false,
      });
      resources[`Route${id}ServerErrorsAlarm`] = alarm({
        AlarmDescription: `${route}: more than ${routeErrorPercent}% of requests answered 5xx in 5 minutes.`,
        Metrics: [
          stat("errors", "ServerErrors"),
          stat("requests", "Requests"),
          {
            Id: "percent",
            Label: "5xx %",
            Expression: `IF(requests >= ${MIN_REQUESTS}, 100 * errors / requests, 0)`,
            ReturnData: true,
          },
        ],
        EvaluationPeriods: 1,
        Threshold: routeErrorPercent,
        ComparisonOperator: "GreaterThanThreshold",
        TreatMissingData: "notBreaching",
      });
    }
  }
  resources.SlaEscalationsAlarm = alarm({
    AlarmDescription: `More than ${slaEscalations} waiting conversations passed the handoff SLA in 15 minutes.`,
    ...ourMetric("SlaEscalations", JOBS_ROUTE),
    Statistic: "Sum",
    Period: 900,
    EvaluationPeriods: 1,
    Threshold: slaEscalations,
    ComparisonOperator: "GreaterThanThreshold",
    TreatMissingData: "notBreaching",
  });
  return { Resources: resources };
};
