import { describe } from "vitest";
import { part3A } from "../../src/testing/scenarios/part-3a.js";
import { defineCourseTests } from "./course-seeds.js";

describe("course Raft suite, part 3A", () => {
  defineCourseTests(part3A, 3);
});
