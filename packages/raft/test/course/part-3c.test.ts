import { describe } from "vitest";
import { part3C } from "../../src/testing/scenarios/part-3c.js";
import { defineCourseTests } from "./course-seeds.js";

describe("course Raft suite, part 3C", () => {
  defineCourseTests(part3C, 20);
});
