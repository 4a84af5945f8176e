import { describe, expect, it } from "vitest";
import { analyticsCsv, stuckThreshold, type AnalyticsData } from "../../app/features/analytics/analytics.server";

describe("the analytics CSV", () => {
  it("quotes cells with commas, quotes or line breaks, and leaves empty figures empty", () => {
    const data = {
      stuck: [
        {
          id: "1",
          name: 'Forum "Sud", Cape',
          country: "South Africa",
          stageKey: "tot",
          stage: "Training of Trainers",
          since: "2024-01-02",
          days: 400,
        },
      ],
      timeInStage: [
        {
          stageKey: "tot",
          stage: "Training of Trainers",
          country: null,
          stays: 0,
          open: 0,
          median: null,
          p25: null,
          p75: null,
          min: null,
          max: null,
        },
      ],
      quarters: [],
    } as unknown as AnalyticsData;
    expect(analyticsCsv(data, "stuck")).toBe(
      'institution,country,stage,since,days_in_stage\r\n"Forum ""Sud"", Cape",South Africa,Training of Trainers,2024-01-02,400\r\n',
    );
    expect(analyticsCsv(data, "time-in-stage").split("\r\n")[1]).toBe("Training of Trainers,All countries,0,0,,,,,");
    expect(analyticsCsv(data, "quarters")).toBe("quarter,advances,slips_back\r\n");
  });

  it("writes a name that starts like a formula as text", () => {
    const data = {
      stuck: [
        {
          id: "1",
          name: '=HYPERLINK("http://evil.example","Open")',
          country: "@x",
          stageKey: "tot",
          stage: "-1+2",
          since: "2024-01-02",
          days: -3,
        },
      ],
      timeInStage: [],
      quarters: [],
    } as unknown as AnalyticsData;
    expect(analyticsCsv(data, "stuck").split("\r\n")[1]).toBe(
      `"'=HYPERLINK(""http://evil.example"",""Open"")",'@x,'-1+2,2024-01-02,-3`,
    );
  });

  it("takes the stuck threshold from the URL in whole days, else 365", () => {
    expect(stuckThreshold(new URLSearchParams("stuck=90"))).toBe(90);
    for (const bad of ["", "stuck=0", "stuck=1.5", "stuck=abc", "stuck=99999"])
      expect(stuckThreshold(new URLSearchParams(bad))).toBe(365);
  });
});
