import { z } from "zod";

export const NamePublicationSchema = z.object({
  isPublic: z.enum(["yes", "no"], { errorMap: () => ({ message: "Choose whether your name may be published" }) }),
});
