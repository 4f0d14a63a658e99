import { Link } from "@remix-run/react";
import { CheckboxGroup } from "./ui/checkbox-group";
import { TextField } from "./ui/field";

const copy = {
  name: "Name of the decision group",
  nameHint: "For example: East Central Bristol, or Disabled people's groups (city-wide)",
  area: "Area or community of interest",
  areaHint: "Who the group's proposals come from. Groups read this when they choose where to apply.",
  areaCode: "ONS area code (optional)",
  areaCodeHint:
    "The ward's or local authority's code from the Office for National Statistics, like E05010897. The open data uses it to show where the grants go. Leave it empty for a community of interest.",
  pot: "Ring-fenced pot, in pounds",
  potHint: "The money this decision group can award. All the groups' pots together must fit inside the fund's budget.",
  minGrant: "Minimum grant, in pounds",
  maxGrant: "Maximum grant, in pounds",
  maxGrantHint: "No more than the pot.",
  leadOrganisations: "Lead organisations",
  leadOrganisationsHint: "The organisations that help groups in this area draft and submit their proposals. Choose one or more.",
  noLeadOrganisations: "No lead organisations are registered yet.",
  register: "Register a lead organisation",
};

/** The fields of the decision group form, shared by adding and changing a group. */
export function DecisionGroupFields({
  values,
  checked,
  errors,
  organisations,
}: {
  values: Record<string, string | undefined>;
  checked: readonly string[];
  errors?: Record<string, string>;
  organisations: readonly { id: string; name: string }[];
}) {
  return (
    <>
      <TextField name="name" label={copy.name} hint={copy.nameHint} defaultValue={values.name} error={errors?.name} />
      <TextField name="area" label={copy.area} hint={copy.areaHint} defaultValue={values.area} error={errors?.area} />
      <TextField name="areaCode" label={copy.areaCode} hint={copy.areaCodeHint} className="max-w-xs" defaultValue={values.areaCode} error={errors?.areaCode} />
      <TextField name="pot" label={copy.pot} hint={copy.potHint} inputMode="decimal" className="max-w-xs" defaultValue={values.pot} error={errors?.pot} />
      <TextField name="minGrant" label={copy.minGrant} inputMode="decimal" className="max-w-xs" defaultValue={values.minGrant} error={errors?.minGrant} />
      <TextField
        name="maxGrant"
        label={copy.maxGrant}
        hint={copy.maxGrantHint}
        inputMode="decimal"
        className="max-w-xs"
        defaultValue={values.maxGrant}
        error={errors?.maxGrant}
      />
      {organisations.length === 0 ? (
        <div className={`mb-6 ${errors?.leadOrganisationIds ? "border-l-4 border-red-700 pl-3" : ""}`}>
          <p className="mb-1 font-semibold" id="leadOrganisationIds" tabIndex={-1}>
            {copy.leadOrganisations}
          </p>
          {errors?.leadOrganisationIds ? <p className="mb-1 font-semibold text-red-800">{errors.leadOrganisationIds}</p> : null}
          <p>
            {copy.noLeadOrganisations} <Link to="/admin/organisations">{copy.register}</Link>
          </p>
        </div>
      ) : (
        <CheckboxGroup
          name="leadOrganisationIds"
          legend={copy.leadOrganisations}
          hint={copy.leadOrganisationsHint}
          error={errors?.leadOrganisationIds}
          options={organisations.map((o) => ({ value: o.id, label: o.name, isChecked: checked.includes(o.id) }))}
        />
      )}
    </>
  );
}
