import { describe, expect, it } from "vitest";
import { listHref, pageNumbers, pageWindow, parseListQuery } from "./list-query";

const spec = { sorts: ["name", "time"] as const, defaultSort: "name" as const, defaultDir: { time: "desc" as const } };
const parse = (q: string) => parseListQuery(new URLSearchParams(q), spec);

describe("parseListQuery", () => {
  it("reads page, size, sort, direction and search", () => {
    expect(parse("page=3&per=20&sort=time&dir=asc&q=%20Accra%20")).toEqual({
      page: 3,
      per: 20,
      sort: "time",
      dir: "asc",
      q: "Accra",
    });
  });
  it("falls back to the defaults for anything it cannot use", () => {
    for (const q of ["page=0", "page=-2", "page=1e3", "page=abc", "per=5", "per=201", "per=1.5", "sort=drop", "dir=up"])
      expect(parse(q), q).toMatchObject({
        ...(q.startsWith("page") ? { page: 1 } : {}),
        ...(q.startsWith("per") ? { per: 50 } : {}),
      });
    expect(parse("sort=drop&dir=up")).toMatchObject({ sort: "name", dir: "asc" });
    expect(parse("sort=time")).toMatchObject({ dir: "desc" });
    expect(parse(`q=${"z".repeat(500)}`).q).toHaveLength(100);
    expect(parse("page=999999999").page).toBe(1_000_000);
  });
});

describe("pageWindow", () => {
  it("clamps the page to the ones that exist and says which rows it shows", () => {
    expect(pageWindow(120, 2, 50)).toEqual({ page: 2, per: 50, pages: 3, total: 120, offset: 50, from: 51, to: 100 });
    expect(pageWindow(120, 9, 50)).toMatchObject({ page: 3, from: 101, to: 120 });
    expect(pageWindow(0, 4, 50)).toMatchObject({ page: 1, pages: 1, from: 0, to: 0, offset: 0 });
  });
});

describe("listHref", () => {
  it("keeps the other parameters, drops the page when anything else changes", () => {
    expect(listHref("/l", "?q=a&page=3&sort=name", { sort: "time", dir: "desc" })).toBe("/l?q=a&sort=time&dir=desc");
    expect(listHref("/l", "?q=a", { page: 2 })).toBe("/l?q=a&page=2");
    expect(listHref("/l", "?q=a&page=2", { page: 1 })).toBe("/l?q=a");
    expect(listHref("/l", "?stage=tot", { stage: undefined })).toBe("/l");
  });
});

describe("pageNumbers", () => {
  it("offers the first, the last and two either side of the current page, with gaps", () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(5, 100)).toEqual([1, null, 3, 4, 5, 6, 7, null, 100]);
    expect(pageNumbers(2, 4)).toEqual([1, 2, 3, 4]);
  });
});
