import { describe } from "vitest";
import { part3D } from "../../src/testing/scenarios/part-3d.js";
import { defineCourseTests } from "./course-seeds.js";

describe("course Raft suite, part 3D", () => {
  defineCourseTests(part3D, 20);
});
